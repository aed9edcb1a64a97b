from django.db import models


class DataVersion(models.Model):
    """The version of the data that cached API responses were made from (investments.versioned_cache).

    One row, given a new value by every change of what the API shows. The cache holds a copy for a
    short while only: a change made while Redis was unreachable cannot leave responses cached before it
    served for longer than that once Redis is back.
    """

    version = models.CharField(max_length=32)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="data_version_single_row")]

    def __str__(self):
        return self.version
